# Not named token.py: that would shadow the standard library module of that name.
# One enrollment access token through twilio-python, against the base URL in argv[1]
# (the benchmark's loopback stand-in): the cold-start comparison for the verify-push CLI.
import os
import sys

from twilio.rest import Client

base_url, service, identity = sys.argv[1:4]
client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
# Each domain (client.verify) sends to its own base_url; the request URL is base_url + path.
client.verify.base_url = base_url
token = client.verify.v2.services(service).access_tokens.create(identity=identity, factor_type="push")
print(token.sid)
