-- Version guards that fail loudly. A grain's write is "UPDATE … WHERE id = $1 AND version = $n"; alone, a guard that
-- does not hold just touches no row, and the caller could check the count. Inside a batch of many grains' writes
-- (group commit) nobody reads per-statement counts, so each guarded statement ends with owl_expect(...): when the
-- guard does not hold it raises SQLSTATE OW001, the whole batch rolls back, and each write is run again on its own,
-- where the error reaches the one grain whose write it was.
CREATE OR REPLACE FUNCTION owl_expect(ok boolean, message text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'OW001', MESSAGE = message;
    END IF;
    RETURN true;
END
$$;
