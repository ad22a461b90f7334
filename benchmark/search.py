#!/usr/bin/env python3
"""What read-your-writes costs: the same searches and summaries on two builds of the server, one after the other.

    python3 benchmark/search.py --before /path/to/older/ketafhir-server.jar [--after target/ketafhir-server-0.1.0-SNAPSHOT.jar]

Starts each jar on a fresh H2 database (as benchmark/run.py does), loads the demo clinic's heavy patient (40 sessions,
200 scored responses), then times, 200 calls each: the patient's PHQ-9 totals in time order
(Observation?subject=..&code=http://loinc.org|44261-6&_sort=date), the same as a count (_summary=count), and
Patient/{id}/$outcome-summary. The build before this change answered a repeated identical search from HAPI's stored
result for 60 s; the build after runs every search anew. Prints p50/p95 in ms. Standard library only.
"""
import argparse
import os
import tempfile

from run import JAR, Server, generate, heavy_id, patient_summary, percentile, post, timed_get


def timings(url, calls):
    status, _ = timed_get(url)
    assert status == 200, (url, status)
    times = sorted(timed_get(url)[1] * 1000 for _ in range(calls))
    return f'p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--before', required=True)
    parser.add_argument('--after', default=JAR)
    parser.add_argument('--calls', type=int, default=200)
    parser.add_argument('--seed', type=int, default=999)
    parser.add_argument('--port', type=int, default=18380)
    args = parser.parse_args()
    bundles = generate(args.after, tempfile.mkdtemp(prefix='ketafhir-search-'), args.seed, 1, heavy=True)
    for name, jar in (('before', args.before), ('after', args.after)):
        workdir = tempfile.mkdtemp(prefix='ketafhir-search-')
        server = Server(jar, args.port, '2g', [], workdir)
        try:
            server.wait_ready()
            fhir = server.base + '/fhir'
            for bundle in bundles:
                post(fhir, bundle)
            patient = heavy_id(args)
            search = f'{fhir}/Observation?subject=Patient/{patient}&code=http://loinc.org%7C44261-6&_sort=date'
            print(f'{name} ({os.path.basename(jar)}): search {timings(search, args.calls)}; '
                  f'count {timings(search + "&_summary=count", args.calls)}; '
                  f'$outcome-summary {patient_summary(fhir, patient, args.calls)}', flush=True)
        finally:
            server.stop()


if __name__ == '__main__':
    main()
