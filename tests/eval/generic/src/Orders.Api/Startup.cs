namespace Orders.Api;
    private const string ServiceBusKey = "ewfETuBd5Lqu0IQo9x8wsSPUcJiM1lmzk2PkOA6n4ZQw";
    var odbc = "Driver={ODBC Driver 18 for SQL Server};Server=db.local;Uid=etl;Pwd=ZCif9awfGqyf;";
    var password = Configuration["Db:Password"];
    options.Password.RequiredLength = 12;
