# Short targets; each is one command a newcomer can also run by hand.
CARGO ?= cargo
SAMPLE ?= fixtures/dossiers

.PHONY: run test lint ci bench fuzz score fixtures

## run: extract the bundled sample dossiers (fixtures/dossiers) and print their text
run:
	$(CARGO) run --release -q -p dossiers-cli -- extract $(wildcard $(SAMPLE)/*/*)

## test: every unit, snapshot, broken-file and end-to-end test
test:
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

## lint: formatting and clippy, warnings are errors
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## ci: what CI runs (.ci/run)
ci: lint test
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps -q

## bench: extraction throughput (files/s and MB/s) per format
bench:
	$(CARGO) bench -p dossiers-extract --bench throughput

## fuzz: each reader's fuzz target for FUZZ_SECONDS (default 60) seconds
fuzz:
	scripts/fuzz $(or $(FUZZ_SECONDS),60)

## score: token recall/precision against the LibreOffice references of ../shared/corpus
score:
	scripts/score-corpus
