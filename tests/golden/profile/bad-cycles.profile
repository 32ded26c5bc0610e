profile "Service definition cycles"

service self = tcp/1, self
service ping = tcp/2, pong
service pong = ping
service one = two
service two = three, tcp/3
service three = one
service leaf = tcp/4
service ok = leaf, leaf2
service leaf2 = leaf
