# TLS probes for the lab tests: the portal on 443 and 8443 of one server
# (one certificate on both), a name a firewall may filter by SNI, and a
# closed port.
profile "lab test: TLS through the firewall"

zone clients "client network"
role server  "a server behind the firewall"

service portal = tcp/443 tls cert (san, not-expired 7d, same-cert)
service cp     = tcp/8443 tls cert (san, not-expired 7d, same-cert)
service admin  = tcp/9443 tls sni "blocked.example"

open   clients -> server : portal, cp, admin
closed clients -> server : tcp/22
