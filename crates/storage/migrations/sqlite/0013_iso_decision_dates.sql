-- The dates of DOET's consolidated submissions and of the Chairman's decisions were stored as
-- dd/mm/yyyy text (filtered with substr, sorted by day first). Every date is stored as ISO
-- yyyy-mm-dd, like the recognition decisions' and the reports'.
UPDATE consolidations
SET signed_on = substr(signed_on, 7, 4) || '-' || substr(signed_on, 4, 2) || '-' || substr(signed_on, 1, 2)
WHERE signed_on LIKE '__/__/____';

UPDATE award_decisions
SET signed_on = substr(signed_on, 7, 4) || '-' || substr(signed_on, 4, 2) || '-' || substr(signed_on, 1, 2)
WHERE signed_on LIKE '__/__/____';
