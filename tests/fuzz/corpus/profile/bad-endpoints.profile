profile "Rules that talk to themselves"

zone devices
role portal
role core

open devices -> devices : tcp/443
open portal, core -> devices, core : tcp/6443
open devices -> portal : tcp/443
