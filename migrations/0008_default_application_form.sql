-- The cohort application form every hub starts with: who the applicant is and how to reach
-- them. Admins add their own questions in Admin → Forms. Beyond the seed; data only.

insert into forms (key, title, description)
values ('cohort_application', 'Apply to a cohort', 'Tell us about yourself. We review every application within a week.')
on conflict (key) do nothing;

insert into form_fields (form_id, name, label, type, required, placeholder, min_length, max_length, sort_order)
select f.id, v.name, v.label, v.type, true, v.placeholder, v.min_length, v.max_length, v.sort_order
  from forms f
 cross join (values
     ('full_name', 'Full name', 'text', 'As on your ID', 2, 120, 0),
     ('email', 'Email', 'email', 'you@example.org', null, 254, 1),
     ('phone', 'Phone', 'phone', '+961 …', null, 30, 2)
 ) as v (name, label, type, placeholder, min_length, max_length, sort_order)
 where f.key = 'cohort_application'
on conflict (form_id, name) do nothing;
