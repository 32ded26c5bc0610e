# Warnings do not make parsing fail.
profile "Listed twice"

zone net
role web

service https = tcp/443
service web-ports = tcp/443, 80, 443, udp/443, tcp/440-450
open net -> web : https, https, tcp/8000-8010, 8005-8020, 8009
open net, net -> web : tcp/22
