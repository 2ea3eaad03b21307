-- Placeholder: migration 011 belongs to a parallel branch. postgres-migrations needs consecutive
-- numbers, so this empty file lets the consent branch (014) migrate on its own. Delete it when
-- merging the branch that owns 011 (one separate commit: revert it).
select 1;
