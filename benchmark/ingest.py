#!/usr/bin/env python3
"""Ingest benchmark: posts transaction bundles of the guide's example patient story to a running server.

Each bundle holds every resource of fhir-profiles/examples/ under fresh urn:uuid ids (references rewritten),
so the server stores a complete, profiled ketamine-therapy course per bundle. Reports resources per second.

    python3 benchmark/ingest.py --base http://localhost:8080/fhir --bundles 40 --clients 2

Standard library only; talks to the given server (keep it on this machine), bounded by --bundles.
"""
import argparse
import glob
import json
import os
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', 'fhir-profiles', 'examples')


def load_examples():
    return [json.load(open(path)) for path in sorted(glob.glob(os.path.join(EXAMPLES, '*.json')))]


def story_bundle(examples):
    """A transaction with every example under a new urn:uuid; references among them follow."""
    ids = {f"{r['resourceType']}/{r['id']}": f"urn:uuid:{uuid.uuid4()}" for r in examples}
    text = json.dumps(examples)
    for old, new in ids.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    entries = []
    for resource in json.loads(text):
        full_url = ids[f"{resource['resourceType']}/{resource.pop('id')}"]
        if resource['resourceType'] == 'Patient':
            for identifier in resource.get('identifier', []):
                identifier['value'] = str(uuid.uuid4())
        entries.append({'fullUrl': full_url, 'resource': resource,
                        'request': {'method': 'POST', 'url': resource['resourceType']}})
    return {'resourceType': 'Bundle', 'type': 'transaction', 'entry': entries}


def post(base, bundle):
    body = json.dumps(bundle).encode()
    request = urllib.request.Request(base, data=body, method='POST',
                                     headers={'Content-Type': 'application/fhir+json',
                                              'Prefer': 'return=minimal'})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        response.read()
        status = response.status
    return status, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--base', default='http://localhost:8080/fhir')
    parser.add_argument('--bundles', type=int, default=40)
    parser.add_argument('--clients', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=4)
    args = parser.parse_args()

    examples = load_examples()
    for _ in range(args.warmup):
        post(args.base, story_bundle(examples))
    bundles = [story_bundle(examples) for _ in range(args.bundles)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        results = list(pool.map(lambda b: post(args.base, b), bundles))
    elapsed = time.perf_counter() - started
    failures = [status for status, _ in results if status != 200]
    resources = sum(len(b['entry']) for b in bundles)
    latencies = sorted(seconds for _, seconds in results)
    print(json.dumps({
        'bundles': args.bundles, 'clients': args.clients, 'resources_per_bundle': len(bundles[0]['entry']),
        'failures': len(failures), 'seconds': round(elapsed, 2),
        'resources_per_second': round(resources / elapsed, 1),
        'bundle_p50_ms': round(latencies[len(latencies) // 2] * 1000),
        'bundle_p95_ms': round(latencies[int(len(latencies) * 0.95) - 1] * 1000),
    }))


if __name__ == '__main__':
    main()
