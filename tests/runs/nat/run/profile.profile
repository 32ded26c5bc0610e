# Golden run "nat": probes through a firewall that forwards one port to
# another (DNAT 8443 -> 443) and hides the clients behind its own address
# with port translation (PAT), for TCP and UDP alike.
profile "golden: through DNAT and PAT"

zone clients "client network"
role server  "a server behind the firewall"

open   clients -> server : tcp/443, tcp/8443, udp/5228
closed clients -> server : tcp/22, tcp/3389, udp/53
