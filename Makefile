# One command for every check CI runs on the code: `make check` (after `pip install -e '.[test,dev]'`).
.PHONY: check lint types contracts test

check: lint types contracts test

lint:
	ruff check .
	ruff format --check .

types:
	mypy

contracts:
	lint-imports

test:
	pytest -p no:cacheprovider
