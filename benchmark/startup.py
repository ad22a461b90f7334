#!/usr/bin/env python3
"""Start-up to ready: KetaFHIR beside the stock HAPI FHIR 8.8.0 JPA starter, interleaved, on empty and existing H2.

    python3 benchmark/startup.py --stock-war /path/to/hapi-fhir-jpaserver-starter/target/ROOT.war [--repeats 3]

For each repeat and each server, in turn: start it on an empty database folder, then again on the database the first
start left (stopped with SIGTERM in between). Each start is timed from the process launch, as a client sees it, with
no look at any readiness probe:
  port      the port accepts a TCP connection
  metadata  GET /fhir/metadata answers 200
  ready     a PHQ-9 QuestionnaireResponse for a stored Patient is accepted (201): on KetaFHIR only once its score
            Observation is stored too (the guide installed, scoring loaded); the stock server does not score.
Writes benchmark/results/<date>-startup.md and .json with the median and min-max of each. Standard library only.
KetaFHIR is timed by the README's run command (src/main/scripts/run, which starts with the class cache it made
for this build: an ahead-of-time cache on Java 25, a class-data-sharing archive on Java 17; `run prepare` makes it
before the timed starts), with --also-java by the run command on a second Java too (KETAFHIR_JAVA, e.g. a Java 17),
and as `java -jar` of the extracted layout on the default Java, without a cache.
Build the stock starter as shipped: its tag image/v8.8.0-1, `mvn package -DskipTests` (benchmark/README.md).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
JAR = os.path.join(ROOT, 'target', 'ketafhir', 'ketafhir-server.jar')
RUN = os.path.join(ROOT, 'src', 'main', 'scripts', 'run')
PHQ9 = 'http://ketafhir.org/fhir/Questionnaire/phq-9'
ITEMS = ['44250-9', '44255-8', '44259-0', '44254-1', '44251-7', '44258-2', '44252-5', '44253-3', '44260-8']


def ketafhir():
    """KetaFHIR's packaged server started with java -jar in the project folder, on a database in the work folder."""
    def command(workdir, port):
        return ['java', '-jar', JAR], database_env(workdir, port)
    return command


def run_command(java=None):
    """KetaFHIR started by the README's run command, in the project folder, on a database in the work folder; with
    `java`, on that Java (KETAFHIR_JAVA) instead of the one the command chooses."""
    def command(workdir, port):
        env = database_env(workdir, port)
        if java:
            env['KETAFHIR_JAVA'] = java
        return [RUN], env
    return command


def database_env(workdir, port):
    return dict(os.environ, SERVER_PORT=str(port), SPRING_DATASOURCE_URL=f'jdbc:h2:file:{workdir}/db/ketafhir')


def stock(war):
    def command(workdir, port):
        env = dict(os.environ)
        return ['java', '-jar', war, f'--server.port={port}',
                f'--spring.datasource.url=jdbc:h2:file:{workdir}/db/h2'], env
    return command


def request(method, url, body=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        'Content-Type': 'application/fhir+json', 'Accept': 'application/fhir+json'})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError):
        return None, b''


def phq9(patient):
    answer = {'valueCoding': {'system': 'http://loinc.org', 'code': 'LA6568-5', 'display': 'Not at all'}}
    return {'resourceType': 'QuestionnaireResponse', 'questionnaire': PHQ9, 'status': 'completed',
            'subject': {'reference': patient}, 'authored': '2026-09-07T08:45:00Z',
            'item': [{'linkId': item, 'answer': [answer]} for item in ITEMS]}


def timed_start(name, command, workdir, port, scored, timeout=600):
    argv, env = command(workdir, port)
    log = open(os.path.join(workdir, f'{name}.log'), 'a')
    started = time.monotonic()
    process = subprocess.Popen(argv, cwd=ROOT if name.startswith('ketafhir') else workdir, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    marks = {}
    base = f'http://127.0.0.1:{port}/fhir'
    patient = f'Patient/startup-{int(time.time() * 1000)}'
    try:
        while time.monotonic() - started < timeout:
            if process.poll() is not None:
                raise SystemExit(f'{name} exited with {process.returncode}; see {log.name}')
            if 'port' not in marks:
                try:
                    with socket.create_connection(('127.0.0.1', port), timeout=1):
                        marks['port'] = time.monotonic() - started
                except OSError:
                    time.sleep(0.05)
                    continue
            if 'metadata' not in marks:
                status, _ = request('GET', base + '/metadata')
                if status == 200:
                    marks['metadata'] = time.monotonic() - started
                else:
                    time.sleep(0.1)
                    continue
            status, _ = request('PUT', f'{base}/{patient}', {'resourceType': 'Patient', 'id': patient.split('/')[1],
                                                            'name': [{'family': 'Startup'}]})
            if status not in (200, 201):
                time.sleep(0.1)
                continue
            status, body = request('POST', base + '/QuestionnaireResponse', phq9(patient))
            if status == 201:
                if scored:
                    response_id = json.loads(body)['id']
                    status, _ = request('GET', f'{base}/Observation/score-{response_id}-44261-6')
                    if status != 200:
                        raise SystemExit(f'{name}: PHQ-9 accepted without its score; see {log.name}')
                marks['ready'] = time.monotonic() - started
                return marks
            if status is not None and status not in (503,) and status < 500:
                raise SystemExit(f'{name}: PHQ-9 refused with {status}: {body[:300]}')
            time.sleep(0.1)
        raise SystemExit(f'{name} not ready within {timeout} s; see {log.name}')
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        log.close()


def cpu_model():
    try:
        with open('/proc/cpuinfo') as info:
            return next(line.split(':', 1)[1].strip() for line in info if line.startswith('model name'))
    except (OSError, StopIteration):
        return platform.machine()


def summary(values):
    return {'median': round(statistics.median(values), 1), 'min': round(min(values), 1), 'max': round(max(values), 1),
            'runs': [round(v, 1) for v in values]}


def prepare(java=None):
    """`run prepare` (on `java`, if given); returns what it said last: the Java and the cache it made."""
    env = dict(os.environ, KETAFHIR_JAVA=java) if java else None
    said = subprocess.run([RUN, 'prepare'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, env=env).stderr.strip().splitlines()[-1]
    print(said, flush=True)
    return said


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--stock-war', help='the stock starter built as shipped (target/ROOT.war)')
    parser.add_argument('--also-java', help='also time the run command on this Java executable (e.g. a Java 17, which '
                        'starts with a class-data-sharing archive instead of the ahead-of-time cache)')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--port', type=int, default=18280)
    parser.add_argument('--name', default=f'{datetime.date.today()}-startup')
    parser.add_argument('--results', default=os.path.join(ROOT, 'benchmark', 'results'))
    args = parser.parse_args()

    # builds when a source changed and makes the run command's start-up cache, so the timed starts do neither
    prepared = prepare()
    servers = [('ketafhir, run command', run_command(), True)]
    if args.also_java:
        also = prepare(args.also_java)
        prepared += '; ' + also.removeprefix('ketafhir: ')
        version = also.split('prepared for Java ')[1].split()[0] if 'prepared for Java ' in also else args.also_java
        servers.append((f'ketafhir, run command on Java {version}', run_command(args.also_java), True))
    servers.append(('ketafhir, java -jar', ketafhir(), True))
    if args.stock_war:
        servers.append(('stock HAPI 8.8.0 starter', stock(os.path.abspath(args.stock_war)), False))
    runs = {name: {'empty': [], 'existing': []} for name, _, _ in servers}
    for repeat in range(args.repeats):
        for name, command, scored in servers:
            workdir = tempfile.mkdtemp(prefix='ketafhir-startup-')
            try:
                for database in ('empty', 'existing'):
                    marks = timed_start(name.split()[0].strip(','), command, workdir, args.port, scored)
                    runs[name][database].append(marks)
                    print(f'repeat {repeat + 1} {name} {database}: ' +
                          ', '.join(f'{k} {v:.1f} s' for k, v in marks.items()), flush=True)
            finally:
                shutil.rmtree(workdir, ignore_errors=True)

    report = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='minutes'),
              'machine': f'{platform.node()}: {os.cpu_count()} cores, {cpu_model()}, '
                         f'{subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]}; '
                         f'the run command {prepared.removeprefix("ketafhir: ")}',
              'results': {name: {db: {mark: summary([m[mark] for m in marks_list])
                                      for mark in ('port', 'metadata', 'ready')}
                                 for db, marks_list in by_db.items()} for name, by_db in runs.items()}}
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, args.name + '.json'), 'w') as out:
        json.dump(report, out, indent=2)
    lines = [f'# Start-up to ready, {report["date"]}', '', f'Machine: {report["machine"]}.',
             f'Command: `python3 benchmark/startup.py {" ".join(sys.argv[1:])}`; '
             'seconds from process launch, median (min-max) of the repeats, interleaved.', '',
             '| server | database | port open | /metadata 200 | first PHQ-9 accepted (ready) |', '|---|---|---|---|---|']
    for name, by_db in report['results'].items():
        for db, marks in by_db.items():
            cells = [f'{m["median"]} ({m["min"]}-{m["max"]})' for m in (marks['port'], marks['metadata'], marks['ready'])]
            lines.append(f'| {name} | {db} | ' + ' | '.join(cells) + ' |')
    with open(os.path.join(args.results, args.name + '.md'), 'w') as out:
        out.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
