"""A token issuer for benchmarks on PostgreSQL, where KetaFHIR refuses to run without one: an RSA key made for the
run with the openssl command, its public half served as a JWK Set on 127.0.0.1, and one signed bearer token with
every system scope. Standard library and openssl only; nothing leaves the machine.

    issuer = LocalIssuer(); issuer.server_args()  # settings for the server; issuer.token: the bearer token
"""
import base64
import http.server
import json
import os
import subprocess
import tempfile
import threading
import time


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


class LocalIssuer:

    def __init__(self, scope='system/*.cruds', lifetime_s=12 * 3600):
        self._folder = tempfile.mkdtemp(prefix='ketafhir-issuer-')
        key = os.path.join(self._folder, 'key.pem')
        subprocess.run(['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key],
                       check=True, capture_output=True)
        modulus = subprocess.run(['openssl', 'rsa', '-in', key, '-noout', '-modulus'], check=True,
                                 capture_output=True, text=True).stdout.strip().split('=', 1)[1]
        jwks = {'keys': [{'kty': 'RSA', 'kid': 'benchmark', 'use': 'sig', 'alg': 'RS256',
                          'n': _b64url(bytes.fromhex(modulus)), 'e': _b64url((65537).to_bytes(3, 'big'))}]}
        body = json.dumps(jwks).encode()

        class Jwks(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Jwks)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        port = self._server.server_address[1]
        self.issuer = f'http://127.0.0.1:{port}/issuer'
        self.jwks_uri = f'http://127.0.0.1:{port}/jwks'
        now = int(time.time())
        header = _b64url(json.dumps({'alg': 'RS256', 'kid': 'benchmark', 'typ': 'JWT'}).encode())
        claims = _b64url(json.dumps({'iss': self.issuer, 'sub': 'benchmark', 'scope': scope, 'iat': now,
                                     'nbf': now, 'exp': now + lifetime_s}).encode())
        signed = f'{header}.{claims}'
        signature = subprocess.run(['openssl', 'dgst', '-sha256', '-sign', key], input=signed.encode(), check=True,
                                   capture_output=True).stdout
        self.token = f'{signed}.{_b64url(signature)}'

    def server_args(self):
        return [f'--spring.security.oauth2.resourceserver.jwt.issuer-uri={self.issuer}',
                f'--spring.security.oauth2.resourceserver.jwt.jwk-set-uri={self.jwks_uri}']
