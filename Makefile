# CLV Analytics. The two commands a newcomer needs: `make run` and `make test`.
MVN        ?= mvn -B -q
DB         ?= data/clv.duckdb
DEMO_CUSTOMERS ?= 20000
DEMO_SEED  ?= 42
ENGINE_JAR := engine/target/clv-engine-0.1.0-SNAPSHOT-all.jar
SERVER_JAR := server/target/clv-server-0.1.0-SNAPSHOT-all.jar
SOURCES    := $(shell find pom.xml engine report-templates server bench -name pom.xml -o -path '*/src/main/*' -type f 2>/dev/null)

.PHONY: run test bench package clean

## run: build if needed, create the demo store on first start, start the server
run: $(ENGINE_JAR) $(SERVER_JAR)
	@test -f $(DB) || bin/clv generate --db $(DB) --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED)
	java -Djava.awt.headless=true -jar $(SERVER_JAR) --db $(DB)

## test: the whole test suite (the README's test command); says in one line what is missing (.ci/run installs it)
TEST_TOOLS := chromium:chromium pdffonts:poppler-utils soffice:libreoffice-calc-nogui
test:
	@missing=""; for t in $(TEST_TOOLS); do command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t##*:}"; done; \
	if [ -n "$$missing" ]; then echo "make test needs Debian packages:$$missing; install them with: sudo apt-get install$$missing (or run .ci/run)"; exit 1; fi
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 mvn -B -ntp install

## bench: benchmarks with bounded default sizes; prints a table of ratios to same-run baselines
bench:
	$(MVN) package -DskipTests -pl bench,engine-spark -am
	java -Xmx8g -Djava.awt.headless=true -cp "bench/target/clv-bench-0.1.0-SNAPSHOT.jar:$(ENGINE_JAR):$(SERVER_JAR)" io.clvanalytics.bench.BenchMain $(BENCH_ARGS)

## package: the engine jar (usable with the DuckDB native libraries beside it, as bin/clv runs it; its first run
## here records the CLI's class-data-sharing archive), a runnable server jar, and
## engine/target/jasperreports-plugin/ (thin engine jar + DuckDB driver + templates jar) for reporting servers
package: $(ENGINE_JAR) $(SERVER_JAR)
	bin/clv --version >/dev/null
	mkdir -p engine/target/jasperreports-plugin
	cp engine/target/clv-engine-0.1.0-SNAPSHOT.jar report-templates/target/clv-report-templates-0.1.0-SNAPSHOT.jar engine/target/jasperreports-plugin/

$(ENGINE_JAR) $(SERVER_JAR) &: $(SOURCES)
	$(MVN) package -DskipTests

clean:
	$(MVN) clean
