"""Run by the harvest environment's Python (not ours): parse a DCAT catalogue (Turtle on stdin) with
ckanext-dcat's RDFParser and the DCAT-AP 3 profile, and print the CKAN dataset dicts as JSON."""

import json
import sys

from ckanext.dcat.processors import RDFParser

parser = RDFParser(profiles=["euro_dcat_ap_3"])
parser.parse(sys.stdin.read(), _format="turtle")
json.dump(list(parser.datasets()), sys.stdout, ensure_ascii=False, default=str)
