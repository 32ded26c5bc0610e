# Names may be used before their definition, but must exist somewhere.
profile "Unknown names"

open devices -> portal, dbase : https, mssql
open devices -> portal : web
open portal -> https : mssql
open devices -> db : db

zone devices
role portal
role db
service https = tcp/443
service web = https, http
