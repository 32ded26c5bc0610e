# The profile every site golden is checked against (lab = true).
profile "Site golden base"

zone devices "Device and user networks"
zone uem
role portal
role cp
role db
role spare "defined but used by no rule: needs no host"

open devices -> portal, cp : tcp/443
open uem -> portal : tcp/443
open portal -> db : tcp/1433

# Appended (the lines above are pinned by other goldens): endpoints a site
# may rebind, documented inside the lab ranges so that good.site needs no
# binding for them.
fqdn doc.lab.example "documented in the lab range" = 198.18.200.1
block lab-block = 198.18.128.0/24 sample 4
wildcard *.lab.example = doc.lab.example
group g = doc.lab.example, lab-block
open devices -> g : tcp/443 tls
