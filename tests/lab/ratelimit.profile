# Forty open ports on one server, for a firewall that rate-limits new flows.
profile "lab test: a rate-limited service range"

zone clients "client network"
role server  "a server behind the firewall"

open clients -> server : tcp/7000-7039
