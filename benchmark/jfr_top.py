#!/usr/bin/env python3
"""Where the request threads spend their time in a JFR recording (CPU samples of Tomcat's http-nio threads and of
the guide-check helpers that check a transaction's entries beside them).

    python3 benchmark/jfr_top.py benchmark/results/checks-on.jfr [--top 25]

Prints the share of samples by capability (the first matching frame of each stack, most specific first) and the
top self frames. Needs the JDK's `jfr` tool. Standard library only.
"""
import argparse
import collections
import re
import subprocess

# stack frame prefix -> capability; a sample counts for the first of these found in its stack (innermost frame first)
CAPABILITIES = [
    ('org.hl7.fhir.utilities.OIDUtilities', 'validation: OID registry re-read per validator'),
    ('org.hl7.fhir.r5.utils.FHIRPathEngine', 'validation: FHIRPath invariants'),
    ('org.hl7.fhir.r5.terminologies', 'validation: terminology'),
    ('org.hl7.fhir.common.hapi.validation.support', 'validation: terminology/support'),
    ('org.hl7.fhir.validation', 'validation: instance validator'),
    ('org.hl7.fhir.common.hapi.validation', 'validation: HAPI bridge'),
    ('org.ketafhir.dosing', 'KetaFHIR dosing rules (their searches included)'),
    ('org.ketafhir.scoring', 'KetaFHIR scoring (its writes included)'),
    ('org.ketafhir.ig', 'KetaFHIR profile enforcement (other)'),
    ('org.h2', 'database: H2'),
    ('org.hibernate', 'database: Hibernate'),
    ('ca.uhn.fhir.jpa.searchparam.extractor', 'HAPI: search index extraction'),
    ('ca.uhn.fhir.jpa.search', 'HAPI: search'),
    ('ca.uhn.fhir.parser', 'HAPI: parsing/encoding'),
    ('ca.uhn.fhir.jpa', 'HAPI JPA: other'),
    ('ca.uhn.fhir', 'HAPI: other'),
]


def samples(path):
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '200', path],
                          capture_output=True, text=True, check=True).stdout
    for event in text.split('jdk.ExecutionSample')[1:]:
        thread = re.search(r'sampledThread = "([^"]+)"', event)
        # Tomcat's request threads, and the helpers that check a transaction's entries beside them
        if not thread or not ('http-nio' in thread.group(1) or thread.group(1).startswith('guide-check-')):
            continue
        frames = re.findall(r'^\s+([\w.$<>]+)\(', event, re.MULTILINE)
        if frames:
            yield frames


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('recording')
    parser.add_argument('--top', type=int, default=25)
    args = parser.parse_args()
    by_capability = collections.Counter()
    by_frame = collections.Counter()
    by_feature = collections.Counter()
    total = 0
    for frames in samples(args.recording):
        total += 1
        by_frame[frames[0]] += 1
        capability = 'other (JDK, Tomcat, Spring)'
        for frame in frames:
            match = next((name for prefix, name in CAPABILITIES if frame.startswith(prefix)), None)
            if match:
                capability = match
                break
        by_capability[capability] += 1
        # which KetaFHIR addition the sample runs under (outermost org.ketafhir frame), else HAPI's own path
        # (the servlet filters every request passes through are not an addition's work)
        feature = next((f for f in reversed(frames) if f.startswith('org.ketafhir.')
                        and not f.endswith(('.doFilter', '.doFilterInternal'))), None)
        by_feature['org.ketafhir.' + feature.split('.')[2] if feature else 'stock HAPI request path'] += 1
    print(f'{total} CPU samples of request threads in {args.recording}\n')
    print('| share | where (innermost capability on the stack) |\n|---:|---|')
    for name, n in by_capability.most_common():
        print(f'| {100 * n / total:.1f} % | {name} |')
    print('\n| share | under which addition (outermost org.ketafhir frame) |\n|---:|---|')
    for name, n in by_feature.most_common():
        print(f'| {100 * n / total:.1f} % | {name} |')
    print('\n| share | top self frame |\n|---:|---|')
    for name, n in by_frame.most_common(args.top):
        print(f'| {100 * n / total:.1f} % | `{name}` |')


if __name__ == '__main__':
    main()
