# Groups: cycles, unknown members, and what a group may stand for.
profile "Bad groups"

zone devices
role srv
fqdn a.example.com
service https = tcp/443 tls

group loop = loop
group one = two, devices
group two = one
group unknown = devices, nobody
group svc = https
group ok = srv, a.example.com
group devices = srv

open ok -> srv : https
open srv -> ok : ok
open devices -> one : https
