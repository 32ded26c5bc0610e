# What one side alone proves, and what only both sides can.
profile "lab test: proof strength"

zone clients "client network"
role server  "a server behind the firewall"

open   clients -> server : tcp/443, tcp/8443, udp/7777
open   clients -> server : tcp/9443 tls
closed clients -> server : tcp/22
