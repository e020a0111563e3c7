-- An OAuth sign-in can accept an invitation (the invitee's provider verified the invited address): the flow
-- keeps the SHA-256 of the invitation's token from authorize to callback, like the binding; null for a plain
-- sign-in.
ALTER TABLE oauth_states ADD COLUMN invitation_hash bytea;
