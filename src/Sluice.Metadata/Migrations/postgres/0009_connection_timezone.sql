-- The IANA time zone a connection's cron schedule is read in (e.g. Europe/Berlin); NULL means UTC.
ALTER TABLE connections ADD COLUMN schedule_timezone TEXT;
