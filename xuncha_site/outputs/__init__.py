"""Files the site publishes besides its pages: open data and schemas, feeds, sitemap."""
