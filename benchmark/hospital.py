"""Synthea-like hospital bundles for the ingest benchmark: what a hospital or an exchange sends, not the clinic's own
records. One transaction Bundle per patient (a Patient and ten encounters, each with vital signs, a blood pressure
panel, a procedure, a prescription, often a metabolic panel with its DiagnosticReport, sometimes a diagnosis and an
immunization: about 120 resources), shaped as Synthea writes them: POST entries with urn:uuid fullUrls, the
Patient a conditional create on its Synthea identifier, the organization and practitioner named by conditional
references, which a first bundle (0-hospital.json) creates. Plain R4: nothing declares or needs a guide profile.
Deterministic for a seed. Standard library only.

    python3 benchmark/hospital.py OUT_FOLDER [--patients 10] [--seed 1]
"""
import argparse
import datetime
import itertools
import json
import os
import random
import uuid

SYNTHEA = 'https://github.com/synthetichealth/synthea'
NPI = 'http://hl7.org/fhir/sid/us-npi'
LOINC = 'http://loinc.org'
SNOMED = 'http://snomed.info/sct'
UCUM = 'http://unitsofmeasure.org'

VITALS = [('8302-2', 'Body Height', 'cm', 150, 195), ('29463-7', 'Body Weight', 'kg', 50, 110),
          ('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 18, 35), ('8867-4', 'Heart rate', '/min', 55, 100),
          ('9279-1', 'Respiratory rate', '/min', 12, 20)]
LABS = [('2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL', 70, 140),
        ('2160-0', 'Creatinine [Mass/volume] in Blood', 'mg/dL', 0.6, 1.3),
        ('6298-4', 'Potassium [Moles/volume] in Blood', 'mmol/L', 3.5, 5.1),
        ('2947-0', 'Sodium [Moles/volume] in Blood', 'mmol/L', 135, 145)]
CONDITIONS = [('44054006', 'Diabetes mellitus type 2 (disorder)'), ('38341003', 'Hypertensive disorder (disorder)'),
              ('195662009', 'Acute viral pharyngitis (disorder)'), ('10509002', 'Acute bronchitis (disorder)')]
MEDICATIONS = [('314076', 'lisinopril 10 MG Oral Tablet'), ('860975', 'metformin hydrochloride 500 MG Oral Tablet'),
               ('197361', 'amlodipine 5 MG Oral Tablet')]


def _coding(system, code, display=None):
    coding = {'system': system, 'code': code}
    if display:
        coding['display'] = display
    return coding


def _post(resource, url, if_none_exist=None):
    request = {'method': 'POST', 'url': url}
    if if_none_exist:
        request['ifNoneExist'] = if_none_exist
    return {'fullUrl': f'urn:uuid:{resource["id"]}', 'resource': resource, 'request': request}


def _strip_id(entry):
    entry['resource'].pop('id')
    return entry


def hospital(seed):
    """The organization and its practitioners, each a conditional create on its identifier."""
    entries = [_post({'resourceType': 'Organization', 'id': str(uuid.uuid5(uuid.NAMESPACE_URL, f'org-{seed}')),
                      'identifier': [{'system': SYNTHEA, 'value': f'org-{seed}'}], 'active': True,
                      'type': [{'coding': [_coding('http://terminology.hl7.org/CodeSystem/organization-type', 'prov',
                                                   'Healthcare Provider')]}],
                      'name': f'General Hospital {seed}',
                      'address': [{'line': ['1 Main Street'], 'city': 'Springfield', 'state': 'MA',
                                   'postalCode': '01101', 'country': 'US'}]},
                     'Organization', f'identifier={SYNTHEA}|org-{seed}')]
    for p in range(5):
        npi = f'{9_990_000_000 + seed * 10 + p}'
        entries.append(_post({'resourceType': 'Practitioner', 'id': str(uuid.uuid5(uuid.NAMESPACE_URL, npi)),
                              'identifier': [{'system': NPI, 'value': npi}], 'active': True,
                              'name': [{'family': f'Doctor{p}', 'given': ['Alex'], 'prefix': ['Dr.']}],
                              'gender': 'female' if p % 2 else 'male'},
                             'Practitioner', f'identifier={NPI}|{npi}'))
    return {'resourceType': 'Bundle', 'type': 'transaction', 'entry': [_strip_id(e) for e in entries]}


def patient_bundle(seed, index):
    rnd = random.Random(seed * 100_003 + index)
    ids = (str(uuid.UUID(int=rnd.getrandbits(128), version=4)) for _ in itertools.count())
    organization = {'reference': f'Organization?identifier={SYNTHEA}|org-{seed}'}
    patient_id = next(ids)
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 365 * 60))
    entries = [_post({'resourceType': 'Patient', 'id': patient_id,
                      'identifier': [{'system': SYNTHEA, 'value': patient_id}],
                      'name': [{'use': 'official', 'family': f'Family{index}', 'given': [f'Given{seed}x{index}']}],
                      'telecom': [{'system': 'phone', 'value': f'555-{rnd.randrange(1000, 9999)}', 'use': 'home'}],
                      'gender': rnd.choice(['female', 'male']), 'birthDate': born.isoformat(),
                      'address': [{'line': [f'{rnd.randrange(1, 999)} Elm Street'], 'city': 'Springfield',
                                   'state': 'MA', 'postalCode': '01101', 'country': 'US'}]},
                     'Patient', f'identifier={SYNTHEA}|{patient_id}')]
    subject = {'reference': f'urn:uuid:{patient_id}'}
    start = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.timezone.utc)
    for visit in range(10):
        when = start + datetime.timedelta(days=35 * visit + rnd.randrange(0, 7), minutes=rnd.randrange(0, 480))
        at = when.isoformat()
        practitioner = {'reference': f'Practitioner?identifier={NPI}|{9_990_000_000 + seed * 10 + rnd.randrange(5)}'}
        encounter_id = next(ids)
        entries.append(_post({'resourceType': 'Encounter', 'id': encounter_id, 'status': 'finished',
                              'class': _coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'AMB'),
                              'type': [{'coding': [_coding(SNOMED, '185349003', 'Encounter for check up')]}],
                              'subject': subject, 'participant': [{'individual': practitioner}],
                              'period': {'start': at, 'end': (when + datetime.timedelta(minutes=30)).isoformat()},
                              'serviceProvider': organization}, 'Encounter'))
        encounter = {'reference': f'urn:uuid:{encounter_id}'}

        def observation(category, code, display, value, unit, components=None):
            resource = {'resourceType': 'Observation', 'id': next(ids), 'status': 'final',
                        'category': [{'coding': [_coding(
                            'http://terminology.hl7.org/CodeSystem/observation-category', category)]}],
                        'code': {'coding': [_coding(LOINC, code, display)], 'text': display},
                        'subject': subject, 'encounter': encounter, 'effectiveDateTime': at, 'issued': at}
            if components:
                resource['component'] = components
            else:
                resource['valueQuantity'] = {'value': value, 'unit': unit, 'system': UCUM, 'code': unit}
            return resource

        for code, display, unit, low, high in VITALS:
            entries.append(_post(observation('vital-signs', code, display, round(rnd.uniform(low, high), 1), unit),
                                 'Observation'))
        entries.append(_post(observation('vital-signs', '85354-9', 'Blood pressure panel', None, None, [
            {'code': {'coding': [_coding(LOINC, '8480-6', 'Systolic blood pressure')]},
             'valueQuantity': {'value': rnd.randrange(105, 150), 'unit': 'mm[Hg]', 'system': UCUM, 'code': 'mm[Hg]'}},
            {'code': {'coding': [_coding(LOINC, '8462-4', 'Diastolic blood pressure')]},
             'valueQuantity': {'value': rnd.randrange(65, 95), 'unit': 'mm[Hg]', 'system': UCUM, 'code': 'mm[Hg]'}},
        ]), 'Observation'))
        if rnd.random() < 0.5:
            results = []
            for code, display, unit, low, high in LABS:
                lab = observation('laboratory', code, display, round(rnd.uniform(low, high), 1), unit)
                entries.append(_post(lab, 'Observation'))
                results.append({'reference': f'urn:uuid:{lab["id"]}'})
            entries.append(_post({'resourceType': 'DiagnosticReport', 'id': next(ids), 'status': 'final',
                                  'category': [{'coding': [_coding('http://terminology.hl7.org/CodeSystem/v2-0074',
                                                                   'LAB', 'Laboratory')]}],
                                  'code': {'coding': [_coding(LOINC, '51990-0', 'Basic metabolic panel')]},
                                  'subject': subject, 'encounter': encounter, 'effectiveDateTime': at,
                                  'issued': at, 'result': results}, 'DiagnosticReport'))
        if rnd.random() < 0.3:
            code, display = rnd.choice(CONDITIONS)
            entries.append(_post({'resourceType': 'Condition', 'id': next(ids),
                                  'clinicalStatus': {'coding': [_coding(
                                      'http://terminology.hl7.org/CodeSystem/condition-clinical', 'active')]},
                                  'verificationStatus': {'coding': [_coding(
                                      'http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed')]},
                                  'category': [{'coding': [_coding(
                                      'http://terminology.hl7.org/CodeSystem/condition-category',
                                      'encounter-diagnosis')]}],
                                  'code': {'coding': [_coding(SNOMED, code, display)], 'text': display},
                                  'subject': subject, 'encounter': encounter, 'onsetDateTime': at,
                                  'recordedDate': at}, 'Condition'))
        entries.append(_post({'resourceType': 'Procedure', 'id': next(ids), 'status': 'completed',
                              'code': {'coding': [_coding(SNOMED, '430193006', 'Medication reconciliation')]},
                              'subject': subject, 'encounter': encounter,
                              'performedPeriod': {'start': at, 'end': at}}, 'Procedure'))
        code, display = rnd.choice(MEDICATIONS)
        entries.append(_post({'resourceType': 'MedicationRequest', 'id': next(ids), 'status': 'active',
                              'intent': 'order',
                              'medicationCodeableConcept': {'coding': [_coding(
                                  'http://www.nlm.nih.gov/research/umls/rxnorm', code, display)], 'text': display},
                              'subject': subject, 'encounter': encounter, 'authoredOn': at, 'requester': practitioner,
                              'dosageInstruction': [{'sequence': 1, 'asNeededBoolean': False, 'timing': {
                                  'repeat': {'frequency': 1, 'period': 1, 'periodUnit': 'd'}}}]},
                             'MedicationRequest'))
        if rnd.random() < 0.2:
            entries.append(_post({'resourceType': 'Immunization', 'id': next(ids), 'status': 'completed',
                                  'vaccineCode': {'coding': [_coding('http://hl7.org/fhir/sid/cvx', '140',
                                                                     'Influenza, seasonal, injectable')]},
                                  'patient': subject, 'encounter': encounter, 'occurrenceDateTime': at,
                                  'primarySource': True}, 'Immunization'))
    return {'resourceType': 'Bundle', 'type': 'transaction', 'entry': [_strip_id(e) for e in entries]}


def generate(folder, seed, patients):
    """Writes 0-hospital.json and one bundle per patient; the paths, the hospital's first."""
    os.makedirs(folder, exist_ok=True)
    paths = [os.path.join(folder, '0-hospital.json')]
    with open(paths[0], 'w') as f:
        json.dump(hospital(seed), f)
    for i in range(1, patients + 1):
        path = os.path.join(folder, f'patient-{i:07d}.json')
        with open(path, 'w') as f:
            json.dump(patient_bundle(seed, i), f)
        paths.append(path)
    return paths


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('folder')
    parser.add_argument('--patients', type=int, default=10)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    print('\n'.join(generate(args.folder, args.seed, args.patients)))
