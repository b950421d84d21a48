#!/usr/bin/env python3
"""Counts how many services of a provider list have a keytrail rule, and lists the rest.

    benches/provider_coverage.py [PROVIDERS.txt] [--keytrail BIN] [--missing]

The list has one service name a line (lower case, `#` comments). A service counts as covered
when, with everything but letters and digits removed, it equals a rule's provider, id, the id's
first word, or one of its keywords, or when the name and a rule's provider or id start one with the other (a
list's `airbrakeprojectkey` is keytrail's Airbrake rule; `github` covers `githubapp`). ALIASES
maps names the list uses for services keytrail knows by another name.
"""
import json
import re
import subprocess
import sys


# Names a list may use for a service keytrail's rules know under another name (renamed
# services, brand names, list names for one credential of a family).
ALIASES = {
    "sendinblue": "brevo", "sendinbluev2": "brevo", "nexmoapikey": "vonage", "weightsandbiases": "wandb",
    "braintreepayments": "paypalbraintree", "boxoauth": "box", "geoipifi": "geoipify", "ngc": "nvidia",
    "gcpapplicationdefaultcredentials": "googleoauthrefreshtoken", "zai": "zhipu", "ftp": "basicauthurl",
    "uri": "basicauthurl", "npmtoken": "npm", "npmtokenv2": "npm", "duo": "duosecretkey",
    "ibm": "ibmcloudiamkeyjson", "gcp": "gcpserviceaccountkey", "checio": "cexio", "gemini": "geminiexchange",
    "apollo": "apollographql",
}


def norm(s):
    return re.sub(r"[^a-z0-9]", "", s.lower())


def main():
    args = sys.argv[1:]
    show_missing = "--missing" in args
    args = [a for a in args if a != "--missing"]
    binary = "keytrail"
    if "--keytrail" in args:
        i = args.index("--keytrail")
        binary = args[i + 1]
        del args[i : i + 2]
    path = args[0] if args else "/work/shared/providers.txt"
    names = [l.strip() for l in open(path) if l.strip() and not l.startswith("#")]
    rules = json.loads(subprocess.run([binary, "rules", "list", "--format", "json"], check=True,
                                      capture_output=True, text=True).stdout)
    exact, prefixes = set(), set()
    for r in rules:
        for v in [r["provider"], r["id"], r["id"].rsplit("-", 1)[0], r["id"].split("-")[0], r["name"]]:
            if norm(v):
                exact.add(norm(v))
        for v in [r["provider"], r["id"].split("-")[0]]:
            if len(norm(v)) >= 4:
                prefixes.add(norm(v))
        for k in r["keywords"]:
            if len(norm(k)) >= 4:
                exact.add(norm(k))
    covered, missing = [], []
    for n in names:
        k = norm(ALIASES.get(n, n))
        hit = k in exact or any(k.startswith(p) or (len(k) >= 5 and p.startswith(k)) for p in prefixes)
        (covered if hit else missing).append(n)
    print(f"{len(covered)} of {len(names)} listed services have a rule ({100 * len(covered) / len(names):.1f} %); "
          f"{len(rules)} rules; {len(missing)} without")
    if show_missing:
        for n in missing:
            print(f"  missing {n}")


if __name__ == "__main__":
    main()
