-- The parties' key to their own case (查询码), sent to each by SMS at registration: with it they see
-- where the case stands and confirm the agreement with the code they receive. Like an appeal's
-- tracking code it is random and unguessable; look-ups are rate-limited per address.
ALTER TABLE dispute ADD COLUMN tracking_code text UNIQUE;
