-- The resident's rating secret (评价码): the tracking code is seen by every unit that handles the
-- appeal, so it cannot also be what proves the resident is the one rating. The token is given only
-- to the resident (the H5 receipt, or SMS for appeals filed on their behalf) and kept encrypted like
-- a contact. Appeals from before it have none and are rated through the hotline's callback instead.
ALTER TABLE appeal ADD COLUMN rating_token_enc text;
