# Short targets; each is one command a newcomer can also run by hand.
CARGO ?= cargo
SAMPLE ?= fixtures/dossiers

.PHONY: run serve test lint ci bench fuzz score fixtures

## run: index the bundled sample dossiers (fixtures/dossiers) into var/index and search them
run:
	$(CARGO) run --release -q -p dossiers-cli -- ingest --quiet --index var/index $(SAMPLE)
	$(CARGO) run --release -q -p dossiers-cli -- search --index var/index --limit 3 "atelier partagé"

## serve: make run's index in the web UI on http://127.0.0.1:8080/ (asks for an account if there is none)
serve: run
	test -s var/users || $(CARGO) run --release -q -p dossiers-cli -- user add $(or $(USER),reviewer) --users var/users
	$(CARGO) run --release -q -p dossiers-cli -- serve --index var/index --users var/users --files $(SAMPLE)

## test: every unit, snapshot, broken-file and end-to-end test
test:
	$(CARGO) test --workspace --lib --bins --tests --examples
	$(CARGO) test --workspace --doc

## lint: formatting and clippy, warnings are errors
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## ci: what CI runs (.ci/run)
ci: lint test
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps -q

## bench: extraction throughput per format; index ingest, search p50/p99 and stats latency;
## web pages' server time
## (DOSSIERS_BENCH_SIZE dossiers, default 100000; the index is built once under target/)
bench:
	$(CARGO) bench -p dossiers-extract --bench throughput
	$(CARGO) bench -p dossiers-index --bench index
	$(CARGO) bench -p dossiers-web --bench pages
	scripts/bench-batch 1000 2 2000
	scripts/bench-batch 1000 2 3000

## fuzz: each reader's fuzz target for FUZZ_SECONDS (default 60) seconds
fuzz:
	scripts/fuzz $(or $(FUZZ_SECONDS),60)

## score: token recall/precision against the LibreOffice references of ../shared/corpus
score:
	scripts/score-corpus
