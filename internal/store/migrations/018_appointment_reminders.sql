-- An appointment's reminder the day before, sent once to both sides by the daily jobs.
ALTER TABLE appointments ADD COLUMN reminded_at {{TS}};
