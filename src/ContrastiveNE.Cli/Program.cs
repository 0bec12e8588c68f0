// The cne command; commands are added by the CLI work.
return 0;
