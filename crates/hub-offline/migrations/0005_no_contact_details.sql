-- The store keeps nothing it does not need: a person's email and phone served only to say
-- who they are, which the identifier they signed in with already does (it is what the
-- offline sign-in looks them up by, and what the online sign-in is retried with).
alter table people drop column email;
alter table people drop column phone;
