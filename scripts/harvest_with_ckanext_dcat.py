"""Run by the harvest environment's Python (not ours): parse a DCAT catalogue (Turtle on stdin) with
ckanext-dcat's RDFParser and the DCAT-AP 3 profile, and print the CKAN dataset dicts as JSON. With
``--paged``: print {"datasets": [...], "next_page": URL or null}, the page the harvester would fetch next."""

import json
import sys

from ckanext.dcat.processors import RDFParser

parser = RDFParser(profiles=["euro_dcat_ap_3"])
parser.parse(sys.stdin.read(), _format="turtle")
datasets = list(parser.datasets())
if "--paged" in sys.argv[1:]:
    json.dump({"datasets": datasets, "next_page": parser.next_page()}, sys.stdout, ensure_ascii=False, default=str)
else:
    json.dump(datasets, sys.stdout, ensure_ascii=False, default=str)
