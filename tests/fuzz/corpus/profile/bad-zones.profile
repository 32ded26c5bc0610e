# Roles placed in zones.
profile "Bad zones"
zone dmz
role web
role db in web
role app in nowhere
role cache in
role proxy "desc" in dmz extra
