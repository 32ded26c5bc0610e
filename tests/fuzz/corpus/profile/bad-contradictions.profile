# An open and a closed rule must never cover the same traffic.
profile "Contradictions"

zone devices
role portal
role db

service https = tcp/443
service fcm = tcp/5228-5230

open devices -> portal : https, fcm
open portal -> db : tcp/1433
closed devices -> db : tcp/1433
closed devices, portal -> db : tcp/1433
closed devices -> portal : tcp/5229-6000
open devices -> db : tcp/1433
closed devices -> portal : udp/443, tcp/80
