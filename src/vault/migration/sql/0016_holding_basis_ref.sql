-- Issue 18: a holding names the act its basis rests on — the contract's number and date, the
-- article of the law (Law 94-V Art. 7: processing on a basis the operator can show) — as imported
-- from an operator's own records or typed on the card.
ALTER TABLE holding ADD COLUMN basis_ref TEXT NOT NULL DEFAULT '';
