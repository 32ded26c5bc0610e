# Wildcard patterns and the names chosen for them.
profile "Bad wildcard"
zone devices

wildcard apple.com = www.apple.com
wildcard *.apple.com = www.aple.com, apps.apple.com, apps.apple.com
wildcard accounts.google.[country] = accounts.google.com.au, accounts.google.
wildcard .*.com = x.com
wildcard *.APPLE.com = itunes.apple.com
wildcard *x.com
open devices -> *.apple.com, *.nope.com : tcp/443
