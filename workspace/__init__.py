"""The Werkstadt web application: the only package that knows HTTP, Starlette and Jinja."""
