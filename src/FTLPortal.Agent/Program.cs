Console.WriteLine("FTLPortal.Agent");
