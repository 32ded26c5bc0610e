profile "tcp and udp start port lists"

zone tcp
role udp "DNS"
service tcp = tcp/80
role web
zone net
open net -> web : tcp
open net -> web : udp 53
