# Golden run "redirect": a firewall that quietly sends the clients' TLS for
# the server to another machine, which completes the handshake in its place
# (tls-reoriginated), and a plain SYN to a port where a service listens
# (answered: the host's SYN-ACK).
profile "golden: a redirected TLS service and an answering port"

zone clients "client network"
zone admins  "administrators' network"
role server  "the server the rules name"
role mirror  "another server behind the same firewall"

service portal = tcp/443 tls cert (san)

open clients -> server : portal
open clients -> mirror : portal
open admins  -> server : tcp/443
