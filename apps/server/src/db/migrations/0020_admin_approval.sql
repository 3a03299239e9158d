-- Two-person rule for the 三员 (system admin, security admin, auditor): an administrator account a
-- security admin creates waits for a second administrator's approval, and its first password is
-- generated at approval and shown to the approver, never to the creator. Until then it cannot log in.
ALTER TABLE app_user ADD COLUMN awaiting_approval_by uuid REFERENCES app_user (id);
