"""The reader's widgets, one file per role; none renders feed text as markup."""
