"""Small helpers shared by the portal's apps: no models, no imports from any app."""
