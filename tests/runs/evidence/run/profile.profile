# A two-host profile for the hand-written firewall tests.
profile "lab test: one client zone, one server"

zone clients "client network"
role server  "a server behind the firewall"

open   clients -> server : tcp/443
closed clients -> server : tcp/22, tcp/23, tcp/3389-3391
