-- A ledger of many enterprises (a county's or the city's disinfection ledger) is paged
-- newest first along this index, each entry checked against its enterprise's scope,
-- instead of gathering and sorting every entry of the kind. One enterprise's ledger still
-- reads ledger_entries_kind_at.
CREATE INDEX ledger_entries_kind_order ON ledger_entries(kind, at, id);
