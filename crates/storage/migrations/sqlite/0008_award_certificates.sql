-- A certificate code (Bằng khen, Giấy khen) for each awarded nominee: 64 random bits in hex,
-- printed with a QR code to the public verification page.
ALTER TABLE nominees ADD COLUMN certificate TEXT;
CREATE UNIQUE INDEX nominees_certificate ON nominees (certificate) WHERE certificate IS NOT NULL;
