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
