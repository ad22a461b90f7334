#!/usr/bin/env python3
"""Ingest beside the real stock HAPI FHIR 8.8.0 JPA starter: interleaved, repeated, median and spread.

    python3 benchmark/ingest_vs_stock.py --stock-war /path/to/hapi-fhir-jpaserver-starter/target/ROOT.war
        [--before-jar <an older KetaFHIR jar>] [--variant 'NAME=--a.setting=value ...']... [--repeats 3]
        [--patients 10] [--clients 1,2,4] [--database h2|postgres] [--workload demo|plain|hospital]

Each repeat starts every server once, in turn (the order rotates from one repeat to the next), each on a fresh
database (an H2 file, or with --database postgres a new database on the local PostgreSQL server): KetaFHIR as
packaged with everything on (guide check, scoring, dosing rules, outcome index, audit), the stock starter as shipped
(`java -jar ROOT.war`, its own settings, run outside this project so that it reads none of KetaFHIR's), with
--before-jar an older KetaFHIR build to measure a change, and with each --variant the current jar with some settings
changed (one write-path lever undone, for instance) to measure what that setting is worth. Every server gets the
same transaction Bundles after the same warm-up: the demo clinic's (about 135 resources each), the same without
meta.profile (--workload plain), or Synthea-like hospital bundles (--workload hospital, about 120 resources each).
A run's rate counts only the resources of
bundles answered 200; a KetaFHIR run ends when the audit of every resource posted is stored. The client's own CPU
time (this process, which shares the machine) is reported beside each run. Standard library only; not part of
`mvn verify`. Results: benchmark/results/<name>.md and .json.
"""
import argparse
import datetime
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the main benchmark's server, bundle and ingest helpers)
from issuer import LocalIssuer  # noqa: E402
import hospital  # noqa: E402

# On PostgreSQL KetaFHIR runs only with a token issuer: a local one, whose token every client sends (the stock
# starter ignores it).
ISSUER = None


PG_DATABASE = 'ketafhir_ingest_bench'


def fresh_postgres_database():
    """An empty PostgreSQL database on this machine's server (trust auth), the one every run of --database postgres
    uses in turn; its JDBC URL."""
    for sql in (f'DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)', f'CREATE DATABASE {PG_DATABASE}'):
        subprocess.run(['psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-c', sql], check=True)
    return f'jdbc:postgresql://127.0.0.1:5432/{PG_DATABASE}'


def ketafhir_database_args(database):
    if database == 'h2':
        return []
    return ['--spring.profiles.active=postgres', f'--spring.datasource.url={fresh_postgres_database()}',
            '--spring.datasource.username=postgres'] + ISSUER.server_args()


class StockServer(run.Server):
    """The stock starter as shipped, in a folder of its own, on a fresh H2 file database or PostgreSQL database
    (with the settings the starter's own documentation gives for PostgreSQL: its URL, driver and HAPI's dialect)."""

    def __init__(self, war, port, xmx, workdir, database='h2'):
        self.base = f'http://127.0.0.1:{port}'
        command = ['java', f'-Xmx{xmx}', '-jar', war, f'--server.port={port}']
        if database == 'h2':
            command.append(f'--spring.datasource.url=jdbc:h2:file:{workdir}/db/h2')
        else:
            command += [f'--spring.datasource.url={fresh_postgres_database()}', '--spring.datasource.username=postgres',
                        '--spring.datasource.password=', '--spring.datasource.driver-class-name=org.postgresql.Driver',
                        '--spring.jpa.properties.hibernate.dialect='
                        'ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect']
        self.log = open(os.path.join(workdir, 'server.log'), 'w')
        self.started = time.monotonic()
        self.process = run.subprocess.Popen(command, cwd=workdir, stdout=self.log, stderr=subprocess.STDOUT)
        self.peak_heap_mb = 0.0
        self._sampler = None

    def wait_ready(self, timeout=900):
        while time.monotonic() - self.started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f'stock server exited with {self.process.returncode}; see {self.log.name}')
            try:
                with urllib.request.urlopen(self.base + '/fhir/metadata', timeout=5) as r:
                    if r.status == 200:
                        return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit('stock server not ready in time')


def one_run(name, start, audited, sets, warmup, folder):
    os.makedirs(folder)
    server = start(folder)
    server.sample_heap()
    result = {'configuration': name}
    try:
        result['startup_to_ready_s'] = round(server.wait_ready(), 1)
        fhir = server.base + '/fhir'
        token = ISSUER.token if ISSUER else None
        run.ingest(fhir, warmup, 2, token, audited)
        result['ingest'] = []
        for clients, files in sets:
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            measured = run.ingest(fhir, files, clients, token, audited)
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            measured['client_cpu_s'] = round((cpu_after.ru_utime - cpu_before.ru_utime)
                                             + (cpu_after.ru_stime - cpu_before.ru_stime), 2)
            run.log(f'{name}: {clients} client(s): {measured["resources_per_second"]} resources/s, '
                    f'{measured["failures"]} failed bundles, client CPU {measured["client_cpu_s"]} s')
            result['ingest'].append(measured)
    finally:
        server.stop()
        time.sleep(1.5)
        result['peak_heap_used_mb'] = round(server.peak_heap_mb)
    return result


def strip_profiles(path):
    """Removes every entry's meta.profile: plain R4, as a system that knows nothing of the guide sends it."""
    with open(path) as f:
        bundle = json.load(f)
    for entry in bundle.get('entry', []):
        meta = entry.get('resource', {}).get('meta')
        if meta is not None:
            meta.pop('profile', None)
            if not meta:
                entry['resource'].pop('meta')
    with open(path, 'w') as f:
        json.dump(bundle, f)


WORKLOADS = {'demo': 'the demo clinic', 'plain': 'the demo clinic without meta.profile (plain R4)',
             'hospital': 'Synthea-like hospital bundles (benchmark/hospital.py: encounters, vital signs, labs, '
                         'diagnoses, prescriptions; plain R4)'}


def spread(values):
    return f'{statistics.median(values):g} ({min(values):g}-{max(values):g})'


def markdown(report):
    m = report['machine']
    names = report['configurations']
    lines = [f'# Ingest beside the stock HAPI FHIR 8.8.0 JPA starter, {report["date"]}', '',
             f'Machine: {m["nproc"]} CPU ({m["cpu"]}), {m["ram_gb"]} GB RAM, {m["java"]}; load average at start '
             f'{", ".join(f"{x:.1f}" for x in m["load_average_at_start"])}.', '',
             f'Command: `{report["command"]}`', '',
             f'Workload: {WORKLOADS[report.get("workload", "demo")]}, '
             f'{report["patients_per_run"]} patients per run (one transaction Bundle each, '
             f'about {120 if report.get("workload") == "hospital" else 135} resources), a different seed per client '
             'count, the same bundles for every server, each on a '
             f'fresh {"PostgreSQL" if report.get("database") == "postgres" else "H2"} database after a '
             f'{report["warmup_patients"]}-patient warm-up; {report["repeats"]} repeats, '
             'servers interleaved. Figures: median (min-max) of the repeats.', '',
             '| server | clients | resources/s | ratio to stock (medians) | failed bundles | client CPU s |',
             '|---|---|---|---|---|---|']
    stock = report['runs'].get('stock starter')
    for name in names:
        runs = report['runs'][name]
        for i, (clients, _) in enumerate(report['client_sets']):
            rates = [r['ingest'][i]['resources_per_second'] for r in runs]
            ratio = ''
            if stock:
                base = statistics.median(r['ingest'][i]['resources_per_second'] for r in stock)
                ratio = f'{statistics.median(rates) / base:.2f}'
            lines.append(f'| {name} | {clients} | {spread(rates)} | {ratio} | '
                         f'{sum(r["ingest"][i]["failures"] for r in runs)} | '
                         f'{spread([r["ingest"][i]["client_cpu_s"] for r in runs])} |')
    lines += ['', '| server | start-up to ready, s | peak heap used, MB |', '|---|---|---|']
    for name in names:
        runs = report['runs'][name]
        lines.append(f'| {name} | {spread([r["startup_to_ready_s"] for r in runs])} | '
                     f'{spread([r["peak_heap_used_mb"] for r in runs])} |')
    return '\n'.join(lines) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--stock-war', required=True, help='the stock starter built as shipped (target/ROOT.war)')
    parser.add_argument('--jar', default=run.JAR)
    parser.add_argument('--before-jar', help='an older KetaFHIR jar, run beside the current one')
    parser.add_argument('--variant', action='append', default=[], metavar='NAME=ARGS',
                        help='the current jar with these extra command-line settings, e.g. '
                             '"index missing=--ketafhir.server.index-missing-fields=true"; repeatable')
    parser.add_argument('--workload', choices=['demo', 'plain', 'hospital'], default='demo',
                        help='demo: the demo clinic as generated (every resource declares its guide profile); plain: '
                             'the same bundles as another system sends them, every meta.profile removed; hospital: '
                             'Synthea-like hospital bundles (benchmark/hospital.py), plain R4 of no guide profile')
    parser.add_argument('--database', choices=['h2', 'postgres'], default='h2',
                        help='h2: a fresh H2 file database per run; postgres: a fresh database on the PostgreSQL server '
                             'at 127.0.0.1:5432 (trust auth) per run, for both servers')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--patients', type=int, default=10)
    parser.add_argument('--clients', default='1,2,4')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--port', type=int, default=18280)
    parser.add_argument('--xmx', default='2g')
    parser.add_argument('--name', default=f'{datetime.date.today().isoformat()}-ingest-vs-stock')
    parser.add_argument('--results', default=os.path.join(run.ROOT, 'benchmark', 'results'))
    args = parser.parse_args()
    war = os.path.abspath(args.stock_war)

    db = args.database
    global ISSUER
    if db == 'postgres':
        ISSUER = LocalIssuer()
    configurations = [('KetaFHIR, everything on',
                       lambda folder: run.Server(args.jar, args.port, args.xmx, ketafhir_database_args(db), folder),
                       True),
                      ('stock starter', lambda folder: StockServer(war, args.port, args.xmx, folder, db), False)]
    if args.before_jar:
        before = os.path.abspath(args.before_jar)
        configurations.insert(1, ('KetaFHIR before, everything on',
                                  lambda folder: run.Server(before, args.port, args.xmx, ketafhir_database_args(db),
                                                            folder), True))
    for variant in args.variant:
        name, _, extra = variant.partition('=')
        if not name or not extra:
            parser.error(f'--variant {variant!r}: expected NAME=ARGS')
        configurations.insert(-1, (f'KetaFHIR, {name}',
                                   lambda folder, extra=extra.split(): run.Server(
                                       args.jar, args.port, args.xmx, ketafhir_database_args(db) + extra, folder),
                                   True))
    report = {'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'), 'machine': run.machine(),
              'workload': args.workload, 'database': db,
              'command': ' '.join(['python3', 'benchmark/ingest_vs_stock.py'] + sys.argv[1:]),
              'patients_per_run': args.patients, 'warmup_patients': args.warmup, 'repeats': args.repeats,
              'configurations': [c[0] for c in configurations], 'runs': {c[0]: [] for c in configurations}}
    workdir = tempfile.mkdtemp(prefix='ketafhir-vs-stock-')
    try:
        clients = [int(c) for c in args.clients.split(',')]
        make = hospital.generate if args.workload == 'hospital' else (
            lambda folder, seed, n: run.generate(args.jar, folder, seed, n))
        sets = [(c, make(os.path.join(workdir, f'set-{c}'), 1000 + c, args.patients)) for c in clients]
        warmup = make(os.path.join(workdir, 'warmup'), 1000, args.warmup)
        if args.workload == 'plain':
            for files in [warmup] + [files for _, files in sets]:
                for path in files:
                    strip_profiles(path)
        report['client_sets'] = [(c, len(files) - 1) for c, files in sets]
        for repeat in range(args.repeats):
            order = configurations[repeat % len(configurations):] + configurations[:repeat % len(configurations)]
            for name, start, audited in order:
                run.log(f'repeat {repeat + 1}: {name}')
                folder = os.path.join(workdir, f'r{repeat}-{run.folder_name(name)}')
                report['runs'][name].append(one_run(name, start, audited, sets, warmup, folder))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, args.name + '.json'), 'w') as f:
        json.dump(report, f, indent=2)
    text = markdown(report)
    with open(os.path.join(args.results, args.name + '.md'), 'w') as f:
        f.write(text)
    print(text)


if __name__ == '__main__':
    main()
