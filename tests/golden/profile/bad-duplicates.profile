# Zones, roles and services share one namespace.
profile "Duplicates"
source "Vendor guide"
profile "Again"
source "Another guide"

zone devices
role devices "a role with a zone's name"
role db
service db = tcp/1433
zone uem
zone uem

open devices -> db : tcp/1433
default closed
default closed
