-- Lean's Arabic name for each connected bank, from its bank list (GET /banks/v1), so Arabic pages
-- name banks as Lean's own Link UI does. NULL: not known (the English name is shown).
ALTER TABLE entities ADD COLUMN bank_arabic_name TEXT;
