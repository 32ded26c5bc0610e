# A profile that includes another file, for the include round-trip test.
profile "lab test: a profile with an include"

include "incl/services.inc"

zone clients "client network"
role server  "a server behind the firewall"

open   clients -> server : https
closed clients -> server : admin
