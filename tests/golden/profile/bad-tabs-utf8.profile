profile "Tabs and UTF-8"

	zone	devices	"Geräte"
	role	portal
	open	devices ->	portl :	tcp/70000
role cafe "café ’" 5
role café
